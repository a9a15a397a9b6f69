"""The three pilot communes of 2021, as demo data. Names of people and firms are invented."""

CATEGORIES = [
    ("Trái cây", "trai-cay"),
    ("Rau củ", "rau-cu"),
    ("Thực phẩm chế biến", "thuc-pham-che-bien"),
    ("Thủy sản", "thuy-san"),
    ("Đồ uống", "do-uong"),
    ("Hoa kiểng", "hoa-kieng"),
]

CERTIFICATIONS = [
    # name, short name, kind, issuing body
    (
        "Thực hành sản xuất nông nghiệp tốt Việt Nam",
        "VietGAP",
        "gap",
        "Tổ chức chứng nhận được Bộ NN&PTNT chỉ định",
    ),
    ("Thực hành nông nghiệp tốt toàn cầu", "GlobalGAP", "gap", "GLOBALG.A.P."),
    ("Nông nghiệp hữu cơ (TCVN 11041)", "Hữu cơ", "organic", "Tổ chức chứng nhận hữu cơ"),
    ("Chỉ dẫn địa lý", "CDĐL", "gi", "Cục Sở hữu trí tuệ"),
    ("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "ATTP", "food_safety", "Sở Y tế"),
]

# slug: (ward code, hostname prefix, former units, former district, intro, committee address, phone)
COMMUNES = [
    {
        "ward_code": 27712,
        "host": "tanan",
        "former_units": "các phường nội ô cũ",
        "former_district": "thành phố Tân An",
        "former_province": "Long An",
        "introduction": "<p>Trung tâm hành chính cũ của tỉnh Long An, nổi tiếng với lạp xưởng, "
        "bánh tráng và hoa kiểng ven sông Vàm Cỏ Tây.</p>",
        "committee_address": "Phường Tân An, tỉnh Tây Ninh",
        "committee_phone": "02723826100",
        "producers": [
            {
                "title": "Cơ sở lạp xưởng Bà Tư",
                "kind": "household",
                "representative": "Nguyễn Thị Tư",
                "phone": "0912345601",
                "address": "12 đường Trương Định, khu phố 3",
                # Approximate: the demo shows the "Chỉ đường" link with one producer per site.
                "coordinates": ("10.535812", "106.413947"),
                "summary": "Lạp xưởng làm tay theo công thức gia đình ba đời.",
                "products": [
                    {
                        "title": "Lạp xưởng tươi Tân An",
                        "category": "thuc-pham-che-bien",
                        "price": 180000,
                        "unit": "hop",
                        "months": [1, 2, 11, 12],
                        "ocop": 4,
                        "summary": (
                            "Lạp xưởng tươi làm tay theo công thức ba đời, ngọt thịt, thơm rượu "
                            "mai quế lộ."
                        ),
                        "story": (
                            "Bà Tư chọn thịt nạc đùi và mỡ lưng heo mua trong ngày ở chợ Tân An, "
                            "xay thô, ướp đường phèn và rượu mai quế lộ rồi dồn vào ruột heo. Lạp "
                            "xưởng được phơi nắng một ngày cho se mặt, giữ vị ngọt tự nhiên, không"
                            " dùng phẩm màu."
                        ),
                        "packaging": "Hộp 500 g (10–12 cây); giữ ngăn mát 7 ngày.",
                    },
                    {
                        "title": "Lạp xưởng tôm",
                        "category": "thuc-pham-che-bien",
                        "price": 220000,
                        "unit": "hop",
                        "months": [],
                        "ocop": None,
                        "summary": (
                            "Lạp xưởng pha tôm đất sông Vàm Cỏ, màu hồng tự nhiên, vị ngọt đậm."
                        ),
                        "story": (
                            "Tôm đất đánh bắt trên sông Vàm Cỏ Tây được bóc vỏ, giã thô rồi trộn "
                            "với thịt heo nạc. Mỗi mẻ chỉ làm khoảng 20 kg để kịp phơi trong ngày."
                        ),
                        "packaging": "Hộp 500 g, hút chân không; giữ ngăn đá 3 tháng.",
                    },
                ],
            },
            {
                "title": "HTX Nông nghiệp Bình Tâm",
                "kind": "cooperative",
                "representative": "Trần Văn Bình",
                "phone": "0912345602",
                "address": "Ấp Bình Trung, khu phố 5",
                "summary": "42 xã viên trồng rau ăn lá và chanh theo VietGAP.",
                "certs": ["VietGAP"],
                "products": [
                    {
                        "title": "Rau muống VietGAP",
                        "category": "rau-cu",
                        "price": 25000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": (
                            "Rau muống nước hái lúc sáng sớm, cọng giòn, trồng và ghi chép theo "
                            "VietGAP."
                        ),
                        "story": (
                            "Rau được trồng trên ruộng nước của xã viên, tưới bằng nước giếng "
                            "khoan đã qua lắng lọc. Mỗi lứa đều ghi nhật ký canh tác và được lấy "
                            "mẫu kiểm tra định kỳ."
                        ),
                        "packaging": "Bó 500 g; giao trong ngày cho bếp ăn và chợ.",
                    },
                    {
                        "title": "Chanh không hạt",
                        "category": "trai-cay",
                        "price": 30000,
                        "unit": "kg",
                        "months": [4, 5, 6, 7, 8, 9],
                        "ocop": None,
                        "summary": (
                            "Chanh không hạt vỏ mỏng, mọng nước, thơm dịu, hợp pha nước và làm "
                            "nước chấm."
                        ),
                        "story": (
                            "Vườn chanh 8 ha của hợp tác xã bón phân hữu cơ vi sinh, tỉa cành sau "
                            "mỗi đợt trái. Trái được hái khi vỏ còn xanh bóng, để được hai tuần ở "
                            "nhiệt độ phòng."
                        ),
                        "packaging": "Túi lưới 1 kg hoặc thùng 10 kg.",
                    },
                ],
            },
            {
                "title": "Công ty TNHH Thực phẩm Hương Quê",
                "kind": "enterprise",
                "representative": "Lê Minh Hương",
                "phone": "0912345603",
                "address": "45 Quốc lộ 1, khu phố 2",
                "summary": "Bánh tráng phơi sương và mắm cá đóng hũ.",
                "certs": ["ATTP"],
                "products": [
                    {
                        "title": "Bánh tráng phơi sương",
                        "category": "thuc-pham-che-bien",
                        "price": 45000,
                        "unit": "goi",
                        "months": [],
                        "ocop": 3,
                        "summary": (
                            "Bánh tráng phơi sương dẻo mềm, cuốn thịt luộc và rau rừng không cần "
                            "nhúng nước."
                        ),
                        "story": (
                            "Bánh tráng bằng bột gạo được tráng mỏng, phơi nắng rồi nướng sơ trên "
                            "than, để qua đêm cho hút sương nên dẻo mà không dính. Xưởng làm theo "
                            "đơn đặt trước để bánh luôn mới."
                        ),
                        "packaging": "Gói 500 g (khoảng 25 lá), hàn kín miệng.",
                    },
                    {
                        "title": "Mắm cá lóc",
                        "category": "thuc-pham-che-bien",
                        "price": 120000,
                        "unit": "hu",
                        "months": [],
                        "ocop": 3,
                        "summary": (
                            "Mắm cá lóc đồng ủ thính gạo rang, ăn sống kèm rau hay chưng thịt đều "
                            "ngon."
                        ),
                        "story": (
                            "Cá lóc đồng mua vào mùa nước nổi, làm sạch, ướp muối rồi ủ với thính "
                            "gạo rang trong khạp sành ít nhất ba tháng mới đóng hũ."
                        ),
                        "packaging": "Hũ thủy tinh 500 g; dùng trong 6 tháng.",
                    },
                ],
            },
            {
                "title": "Tổ hợp tác Hoa kiểng Tân An",
                "kind": "cooperative_group",
                "representative": "Phạm Văn Kiểng",
                "phone": "0912345604",
                "address": "Ấp Nhơn Hòa, khu phố 6",
                "summary": "Mai vàng, cúc mâm xôi cho dịp Tết.",
                "products": [
                    {
                        "title": "Mai vàng bonsai",
                        "category": "hoa-kieng",
                        "price": None,
                        "unit": "cai",
                        "months": [12, 1],
                        "ocop": None,
                        "summary": (
                            "Mai vàng dáng bonsai tuổi 5–10 năm, lặt lá đúng ngày để nở vào Tết."
                        ),
                        "story": (
                            "Tổ hợp tác chăm mai quanh năm: tưới, bón, uốn dáng và lặt lá trước "
                            "Tết chừng 25 ngày tùy thời tiết. Sau Tết khách có thể gửi mai lại "
                            "vườn để chăm cho năm sau."
                        ),
                        "packaging": (
                            "Cây trồng chậu sứ, giao tận nơi trong tỉnh. Giá theo từng cây."
                        ),
                    },
                    {
                        "title": "Cúc mâm xôi",
                        "category": "hoa-kieng",
                        "price": 150000,
                        "unit": "cai",
                        "months": [12, 1],
                        "ocop": None,
                        "summary": "Cúc mâm xôi vàng rực, tán tròn đều, nở đúng dịp Tết.",
                        "story": (
                            "Cúc được trồng từ tháng 8 âm lịch, bấm ngọn nhiều lần để tán tròn như"
                            " mâm xôi. Chậu được giao trước Tết 5–7 ngày, khi bông vừa hé."
                        ),
                        "packaging": "Chậu đường kính 40 cm, một cây một chậu.",
                    },
                ],
            },
            {
                "title": "Hộ ông Nguyễn Văn Sáu",
                "kind": "household",
                "representative": "Nguyễn Văn Sáu",
                "phone": "0912345605",
                "zalo_phone": "0987654305",
                "address": "Ấp Bình Yên Đông, khu phố 4",
                "summary": "Nuôi ong lấy mật và trồng dưa lưới nhà màng.",
                "products": [
                    {
                        "title": "Mật ong hoa tràm",
                        "category": "do-uong",
                        "price": 250000,
                        "unit": "chai",
                        "months": [3, 4, 5],
                        "ocop": 3,
                        "summary": "Mật ong nguyên chất từ rừng tràm, sánh đặc, thơm mùi hoa tràm.",
                        "story": (
                            "Ông Sáu đặt 60 thùng ong ở rừng tràm từ tháng 3 đến tháng 5, mùa tràm"
                            " trổ hoa. Mật được quay khi ong đã vít nắp gần hết, lọc qua vải mịn, "
                            "không pha đường, không cô đặc."
                        ),
                        "packaging": "Chai thủy tinh 500 ml.",
                    },
                    {
                        "title": "Dưa lưới nhà màng",
                        "category": "trai-cay",
                        "price": 60000,
                        "unit": "kg",
                        "months": [2, 3, 4, 9, 10],
                        "ocop": None,
                        "summary": (
                            "Dưa lưới ruột cam giòn ngọt, trồng trong nhà màng, tưới nhỏ giọt."
                        ),
                        "story": (
                            "Dưa được trồng trên giá thể xơ dừa trong nhà màng 2.000 m², tưới nhỏ "
                            "giọt theo từng giai đoạn. Mỗi vụ khoảng 70 ngày, trái được hái khi "
                            "vân lưới nổi đều."
                        ),
                        "packaging": "Trái 1,2–1,8 kg, bán theo kg; thùng 4 trái.",
                    },
                ],
            },
        ],
    },
    {
        "ward_code": 28159,
        "host": "cangiuoc",
        "former_units": "thị trấn Cần Giuộc và các xã lân cận",
        "former_district": "huyện Cần Giuộc",
        "former_province": "Long An",
        "introduction": "<p>Vựa rau xanh của vùng giáp ranh Thành phố Hồ Chí Minh và quê hương "
        "lạp xưởng Cần Giuộc.</p>",
        "committee_address": "Xã Cần Giuộc, tỉnh Tây Ninh",
        "committee_phone": "02723874101",
        "producers": [
            {
                "title": "HTX Rau an toàn Cần Giuộc",
                "kind": "cooperative",
                "representative": "Võ Thị Lan",
                "phone": "0912345611",
                "address": "Ấp Trường Long",
                "summary": "Rau ăn lá an toàn cung cấp cho bếp ăn và siêu thị.",
                "certs": ["VietGAP"],
                "products": [
                    {
                        "title": "Cải ngọt VietGAP",
                        "category": "rau-cu",
                        "price": 20000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": "Cải ngọt non, cọng giòn lá mềm, hợp luộc, xào tỏi và nấu canh.",
                        "story": (
                            "Cải được gieo theo lứa nối tiếp nên ngày nào cũng có hàng, thu hoạch "
                            "sau 28 ngày. Hợp tác xã giao cho bếp ăn trường học và siêu thị ở "
                            "Thành phố Hồ Chí Minh."
                        ),
                        "packaging": "Bó 500 g, đóng thùng xốp cho bếp ăn.",
                    },
                    {
                        "title": "Xà lách thủy canh",
                        "category": "rau-cu",
                        "price": 40000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": (
                            "Xà lách thủy canh sạch đất, lá xanh giòn, ăn sống không cần ngâm lâu."
                        ),
                        "story": (
                            "Xà lách trồng trên giàn thủy canh hồi lưu trong nhà lưới, dung dịch "
                            "dinh dưỡng pha theo từng tuần tuổi. Cây được nhổ cả rễ lúc sáng sớm "
                            "và đóng túi ngay tại vườn."
                        ),
                        "packaging": "Túi 300 g, còn nguyên rễ để tươi lâu.",
                    },
                ],
            },
            {
                "title": "Tổ hợp tác rau má Phước Lại",
                "kind": "cooperative_group",
                "representative": "Đặng Văn Má",
                "phone": "0912345612",
                "address": "Ấp Phước Thuận",
                "summary": "Rau má lá to và nước rau má đóng chai.",
                "products": [
                    {
                        "title": "Rau má lá to",
                        "category": "rau-cu",
                        "price": 25000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": (
                            "Rau má lá to, thân mập, hợp xay nước, nấu canh tôm hay làm gỏi."
                        ),
                        "story": (
                            "Rau má được trồng trên liếp cao ở ấp Phước Thuận, tưới nước giếng, "
                            "cắt 20 ngày một lứa. Tổ hợp tác sơ chế ngay trong ngày để rau không "
                            "héo."
                        ),
                        "packaging": "Túi 1 kg, đã cắt gốc và rửa sạch.",
                    },
                    {
                        "title": "Nước rau má đậu xanh",
                        "category": "do-uong",
                        "price": 15000,
                        "unit": "chai",
                        "months": [],
                        "ocop": 3,
                        "summary": (
                            "Nước rau má xay cùng đậu xanh, mát, ít ngọt, không chất bảo quản."
                        ),
                        "story": (
                            "Rau má hái buổi sáng được xay, lọc và nấu cùng đậu xanh đánh nhuyễn "
                            "ngay trong ngày. Xưởng nhỏ của tổ hợp tác làm chừng 500 chai mỗi ngày"
                            " cho các quán nước trong xã."
                        ),
                        "packaging": "Chai 330 ml; giữ lạnh, dùng trong 3 ngày.",
                    },
                ],
            },
            {
                "title": "Công ty TNHH Lạp xưởng Cần Giuộc",
                "kind": "enterprise",
                "representative": "Huỳnh Văn Phát",
                "phone": "0912345613",
                "address": "Khu phố Thanh Ba",
                "summary": "Lạp xưởng Cần Giuộc đóng gói hút chân không.",
                "certs": ["ATTP"],
                "products": [
                    {
                        "title": "Lạp xưởng Cần Giuộc",
                        "category": "thuc-pham-che-bien",
                        "price": 160000,
                        "unit": "hop",
                        "months": [],
                        "ocop": 4,
                        "summary": (
                            "Lạp xưởng Cần Giuộc truyền thống, cây nhỏ, nhiều nạc, vị ngọt vừa."
                        ),
                        "story": (
                            "Cần Giuộc làm lạp xưởng từ hơn trăm năm. Công ty giữ cách làm cũ: "
                            "thịt heo tươi cắt hạt lựu bằng tay, ướp qua đêm rồi sấy lò than trong"
                            " hai ngày."
                        ),
                        "packaging": "Hộp 500 g, hút chân không; để nơi khô mát 3 tháng.",
                    },
                    {
                        "title": "Lạp xưởng mai quế lộ",
                        "category": "thuc-pham-che-bien",
                        "price": 220000,
                        "unit": "kg",
                        "months": [10, 11, 12, 1],
                        "ocop": 3,
                        "summary": (
                            "Lạp xưởng phơi nắng ba ngày, thơm đậm rượu mai quế lộ, chỉ làm mùa "
                            "Tết."
                        ),
                        "story": (
                            "Từ tháng 10 đến tháng Giêng, khi nắng ráo và gió chướng về, xưởng làm"
                            " những mẻ lạp xưởng phơi nắng. Rượu mai quế lộ được ngâm tại chỗ với "
                            "hoa hồi, quế và vỏ quýt."
                        ),
                        "packaging": "Bán theo kg, cột dây từng cặp, đựng túi giấy.",
                    },
                ],
            },
            {
                "title": "Hộ bà Trần Thị Mai",
                "kind": "household",
                "representative": "Trần Thị Mai",
                "phone": "0912345614",
                "address": "Ấp Tân Điền",
                "summary": "Rau thơm và hành lá cho chợ đầu mối.",
                "products": [
                    {
                        "title": "Rau thơm các loại",
                        "category": "rau-cu",
                        "price": 30000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": (
                            "Húng quế, ngò gai, tía tô, kinh giới hái trong ngày cho quán phở, "
                            "quán bún."
                        ),
                        "story": (
                            "Bà Mai trồng rau thơm xen canh trên ba công đất, không dùng thuốc "
                            "diệt cỏ. Rau được cắt lúc 3 giờ sáng và giao cho chợ đầu mối trước 6 "
                            "giờ."
                        ),
                        "packaging": "Bó hỗn hợp 1 kg hoặc từng loại theo đơn.",
                    },
                    {
                        "title": "Hành lá",
                        "category": "rau-cu",
                        "price": 35000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": "Hành lá cọng trắng dài, lá xanh thẳng, thơm hăng đặc trưng.",
                        "story": (
                            "Hành được trồng bằng củ giống tự để, bón phân chuồng ủ hoai và thu "
                            "hoạch sau 45 ngày. Mùa mưa ruộng được lên liếp cao để hành không bị "
                            "úng."
                        ),
                        "packaging": "Bó 1 kg, cột dây chuối.",
                    },
                ],
            },
            {
                "title": "HTX Thủy sản Cần Giuộc",
                "kind": "cooperative",
                "representative": "Lý Văn Thủy",
                "phone": "0912345615",
                "address": "Ấp Đông Thạnh",
                "summary": "Tôm thẻ nuôi ao đất và khô cá làm thủ công.",
                "products": [
                    {
                        "title": "Tôm thẻ chân trắng",
                        "category": "thuy-san",
                        "price": 180000,
                        "unit": "kg",
                        "months": [5, 6, 7, 8, 9, 10],
                        "ocop": None,
                        "summary": (
                            "Tôm thẻ nuôi ao đất mật độ thưa, thịt chắc, ngọt, giao sống trong "
                            "ngày."
                        ),
                        "story": (
                            "Xã viên nuôi tôm trong ao đất ven sông, thay nước theo con nước và "
                            "không dùng kháng sinh. Tôm được thu hoạch theo đơn và giao sống trong"
                            " bán kính 50 km."
                        ),
                        "packaging": "Loại 60 con/kg; thùng xốp có sục khí.",
                    },
                    {
                        "title": "Khô cá đù một nắng",
                        "category": "thuy-san",
                        "price": 250000,
                        "unit": "kg",
                        "months": [],
                        "ocop": 3,
                        "summary": (
                            "Khô cá đù phơi một nắng, thịt dày, ít mặn, chiên hay nướng đều thơm."
                        ),
                        "story": (
                            "Cá đù được xẻ bướm, rửa nước muối loãng rồi phơi trên giàn lưới một "
                            "nắng cho khô mặt mà thịt vẫn mềm. Mỗi mẻ phơi đều có người trông để "
                            "che khi trời chuyển mưa."
                        ),
                        "packaging": "Túi hút chân không 500 g; giữ ngăn đá.",
                    },
                ],
            },
        ],
    },
    {
        "ward_code": 28210,
        "host": "tamvu",
        "former_units": "thị trấn Tầm Vu và các xã lân cận",
        "former_district": "huyện Châu Thành",
        "former_province": "Long An",
        "introduction": "<p>Vùng thanh long Châu Thành: hàng nghìn héc-ta thanh long ruột đỏ, "
        "thắp đèn cho trái nghịch vụ.</p>",
        "committee_address": "Xã Tầm Vu, tỉnh Tây Ninh",
        "committee_phone": "02723877102",
        "producers": [
            {
                "title": "HTX Thanh long Tầm Vu",
                "kind": "cooperative",
                "representative": "Nguyễn Văn Long",
                "phone": "0912345621",
                "address": "Ấp Bình Thạnh",
                "coordinates": ("10.442650", "106.471210"),
                "summary": "120 ha thanh long VietGAP, có mã số vùng trồng xuất khẩu.",
                "certs": ["VietGAP", "GlobalGAP"],
                "products": [
                    {
                        "title": "Thanh long ruột đỏ",
                        "category": "trai-cay",
                        "price": 35000,
                        "unit": "kg",
                        "months": [5, 6, 7, 8, 9],
                        "ocop": 4,
                        "summary": (
                            "Thanh long ruột đỏ Châu Thành ngọt đậm, từ vùng trồng có mã số xuất "
                            "khẩu."
                        ),
                        "story": (
                            "Hợp tác xã có 120 ha thanh long trồng theo VietGAP và GlobalGAP. Trái"
                            " được hái sau 30–32 ngày kể từ khi hoa nở, lau sạch và phân loại ngay"
                            " tại nhà sơ chế."
                        ),
                        "packaging": "Trái 400–600 g; thùng carton 10 kg.",
                    },
                    {
                        "title": "Thanh long ruột trắng",
                        "category": "trai-cay",
                        "price": 20000,
                        "unit": "kg",
                        "months": [5, 6, 7, 8],
                        "ocop": None,
                        "summary": "Thanh long ruột trắng trái to, vỏ đỏ tươi, vị ngọt thanh mát.",
                        "story": (
                            "Giống thanh long ruột trắng quen thuộc của vùng Châu Thành, chịu nắng"
                            " tốt, năng suất cao. Chính vụ từ tháng 5 đến tháng 8, giá mềm, hợp "
                            "bán sỉ cho chợ và bếp ăn."
                        ),
                        "packaging": "Trái 500–700 g; sọt 20 kg hoặc thùng 10 kg.",
                    },
                ],
            },
            {
                "title": "Cơ sở thanh long sấy Vĩnh Công",
                "kind": "enterprise",
                "representative": "Trương Thị Công",
                "phone": "0912345622",
                "address": "Ấp Vĩnh Bình",
                "summary": "Thanh long sấy dẻo và rượu vang thanh long.",
                "certs": ["ATTP"],
                "products": [
                    {
                        "title": "Thanh long sấy dẻo",
                        "category": "thuc-pham-che-bien",
                        "price": 65000,
                        "unit": "tui",
                        "months": [],
                        "ocop": 3,
                        "summary": (
                            "Thanh long sấy dẻo không đường, giữ màu đỏ và vị ngọt tự nhiên của "
                            "trái."
                        ),
                        "story": (
                            "Trái thanh long ruột đỏ loại 2 được cắt lát, sấy lạnh ở nhiệt độ thấp"
                            " trong 20 giờ. Nhờ vậy nhà vườn bán được cả trái nhỏ, vỏ xấu mà vẫn "
                            "giữ giá."
                        ),
                        "packaging": "Túi zip 250 g; dùng trong 12 tháng.",
                    },
                    {
                        "title": "Rượu vang thanh long",
                        "category": "do-uong",
                        "price": 180000,
                        "unit": "chai",
                        "months": [],
                        "ocop": 4,
                        "summary": (
                            "Rượu vang lên men từ thanh long ruột đỏ, màu hồng ngọc, chua ngọt nhẹ."
                        ),
                        "story": (
                            "Nước ép thanh long được lên men chậm trong thùng inox, lắng lọc tự "
                            "nhiên và ủ thêm sáu tháng trước khi đóng chai. Hợp làm quà biếu dịp "
                            "lễ, Tết."
                        ),
                        "packaging": "Chai 750 ml, 12 độ; hộp quà 2 chai.",
                    },
                ],
            },
            {
                "title": "Hộ ông Lê Văn Tám",
                "kind": "household",
                "representative": "Lê Văn Tám",
                "phone": "0912345623",
                "address": "Ấp Phú Tây",
                "summary": "Thanh long bao trái và chanh tứ quý.",
                "products": [
                    {
                        "title": "Thanh long ruột đỏ bao trái",
                        "category": "trai-cay",
                        "price": 40000,
                        "unit": "kg",
                        "months": [10, 11, 12, 1, 2],
                        "ocop": None,
                        "summary": (
                            "Thanh long ruột đỏ bao trái từ khi ra hoa, vỏ sạch đẹp, không trầy "
                            "xước."
                        ),
                        "story": (
                            "Ông Tám bao từng trái bằng túi giấy ngay khi cánh hoa rụng, nên trái "
                            "không bị côn trùng chích và ít phải phun thuốc. Vườn thắp đèn để có "
                            "trái nghịch vụ từ tháng 10 đến tháng 2."
                        ),
                        "packaging": "Trái 450–650 g; thùng 5 kg có lót giấy.",
                    },
                    {
                        "title": "Chanh tứ quý",
                        "category": "trai-cay",
                        "price": 25000,
                        "unit": "kg",
                        "months": [],
                        "ocop": None,
                        "summary": "Chanh tứ quý có trái quanh năm, nhiều nước, thơm mùi tinh dầu.",
                        "story": (
                            "Chanh được trồng xen trong vườn thanh long, tận dụng bóng mát và hệ "
                            "thống tưới sẵn có. Trái được hái khi vừa đủ già, vỏ xanh mỏng."
                        ),
                        "packaging": "Bao 5 kg hoặc túi lưới 1 kg.",
                    },
                ],
            },
            {
                "title": "Tổ hợp tác thanh long Thanh Phú Long",
                "kind": "cooperative_group",
                "representative": "Phan Văn Phú",
                "phone": "0912345624",
                "address": "Ấp Phú Long",
                "summary": "Thanh long tuyển chọn cho đơn hàng xuất khẩu.",
                "certs": ["VietGAP"],
                "products": [
                    {
                        "title": "Thanh long xuất khẩu",
                        "category": "trai-cay",
                        "price": None,
                        "unit": "kg",
                        "months": [5, 6, 7, 8, 9],
                        "ocop": None,
                        "summary": (
                            "Thanh long tuyển loại 1 cho đơn hàng xuất khẩu, ghi rõ vườn trồng "
                            "từng lô."
                        ),
                        "story": (
                            "Tổ hợp tác gom trái của 35 hộ thành viên, tuyển chọn tại cơ sở đóng "
                            "gói có mã số. Mỗi lô hàng đều truy được vườn trồng và ngày thu hoạch."
                        ),
                        "packaging": "Thùng 10 kg, trái 450–650 g. Giá theo đơn hàng.",
                    },
                    {
                        "title": "Thanh long ruột tím hồng",
                        "category": "trai-cay",
                        "price": 45000,
                        "unit": "kg",
                        "months": [6, 7, 8],
                        "ocop": None,
                        "summary": (
                            "Thanh long LĐ5 ruột tím hồng, thịt chắc, ngọt đậm, để được lâu."
                        ),
                        "story": (
                            "Tổ hợp tác trồng thử giống LĐ5 trên vài công đất rồi mở rộng khi thấy"
                            " trái ngọt và giữ được lâu. Trái chính vụ vào giữa mùa mưa."
                        ),
                        "packaging": "Trái 350–550 g; thùng 5 kg.",
                    },
                ],
            },
            {
                "title": "HTX Nông nghiệp Hiệp Thạnh",
                "kind": "cooperative",
                "representative": "Đỗ Thị Hiệp",
                "phone": "0912345625",
                "address": "Ấp Hiệp Thạnh",
                "summary": "Bánh tráng và mứt làm từ thanh long.",
                "products": [
                    {
                        "title": "Bánh tráng thanh long",
                        "category": "thuc-pham-che-bien",
                        "price": 40000,
                        "unit": "goi",
                        "months": [],
                        "ocop": None,
                        "summary": (
                            "Bánh tráng hồng tự nhiên từ thanh long ruột đỏ, giòn thơm khi nướng."
                        ),
                        "story": (
                            "Bột gạo được trộn nước ép thanh long ruột đỏ thay cho phẩm màu, tráng"
                            " mỏng và phơi nắng trên giàn tre. Bánh dùng để nướng, cuốn hay làm "
                            "bánh tráng trộn."
                        ),
                        "packaging": "Gói 300 g (khoảng 15 lá).",
                    },
                    {
                        "title": "Mứt thanh long",
                        "category": "thuc-pham-che-bien",
                        "price": 55000,
                        "unit": "hop",
                        "months": [12, 1],
                        "ocop": None,
                        "summary": "Mứt thanh long dẻo, ít ngọt, món quen trên khay mứt ngày Tết.",
                        "story": (
                            "Thanh long ruột đỏ được sên với đường phèn trên lửa nhỏ nhiều giờ "
                            "liền cho đến khi dẻo quánh. Hợp tác xã chỉ làm từ tháng 12 đến tháng "
                            "Giêng để bán dịp Tết."
                        ),
                        "packaging": "Hộp 300 g; dùng trong 6 tháng.",
                    },
                ],
            },
        ],
    },
]
